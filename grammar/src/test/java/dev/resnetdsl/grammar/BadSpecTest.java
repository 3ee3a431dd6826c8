package dev.resnetdsl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad specs and the exact diagnostics they get. Each row takes a small valid CIFAR-style model ({@link #VALID}),
 * replaces some of its lines, and lists every expected diagnostic as {@code line:col: message}, separated by
 * {@code ' && '}.
 */
class BadSpecTest {
    /** A valid spec; rows replace lines of it by number (1-based). */
    static final String VALID =
            """
            model Net {
              input 3x32x32
              classes 10
              stem {
                conv 3x3 16
              }
              block basic
              shortcut A
              stage s1 16 x3
              stage s2 32 x3 /2
              stage s3 64 x3 /2
            }
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
    # kind                         | replacements (line=text; ...)            | expected diagnostics
    stray character                | 2=  input 3x32x32 %                       | 2:17: unexpected character '%'
    missing repeat count           | 9=  stage s1 16 /2                        | 9:15: expected a repeat count like x3, found '/2'
    missing conv channels          | 5=    conv 3x3 /2                         | 5:14: expected a number, found '/2'
    unknown statement              | 9=  frob 3                                | 9:3: expected a statement (input, classes, stem, block, shortcut, stage, head or init) or '}', found 'frob'
    two statements on one line     | 3=  classes 10 block basic                | 3:14: expected end of statement (a new line or ';'), found 'block'
    brace on the next line         | 1=model Net                               | 1:10: expected 'extends' or '{' on the same line, found end of line
    missing closing brace          | 12=                                       | 13:1: expected '}', found end of file
    head layer in the stem         | 5=    avgpool                             | 5:5: expected a stem layer (conv or maxpool) or '}', found 'avgpool'
    unterminated string            | 2=  input 3x32x32 "abc                    | 2:17: unterminated string: the closing " is missing on this line
    stage name starting with digit | 9=  stage 1st 16 x3                       | 9:9: expected a name, found '1'
    identity shortcut changes shape| 8=  shortcut identity                     | 10:3: identity shortcut cannot change the shape: block 1 of stage 's2' goes from 16x32x32 to 32x16x16 (use shortcut A or B) && 11:3: identity shortcut cannot change the shape: block 1 of stage 's3' goes from 32x16x16 to 64x8x8 (use shortcut A or B)
    stage collapses below 1 pixel  | 2=  input 3x2x2                           | 11:3: spatial size collapses below 1 pixel at stage 's3': its 1x1 input cannot be downsampled by stride 2
    stem collapses below 1 pixel   | 2=  input 3x5x5; 5=    conv 7x7 16 pad 0  | 5:5: spatial size collapses below 1 pixel in the stem: conv 7x7 /1 pad 0 turns 5x5 into -1x-1
    stride 3                       | 10=  stage s2 32 x3 /3                    | 10:18: stride must be 1 or 2, found 3
    stem stride 4                  | 5=    conv 3x3 16 /4                      | 5:17: stride must be 1 or 2, found 4
    groups not dividing the width  | 7=  block bottleneck groups 3             | 9:3: groups 3 does not divide the width 16 of stage 's1' && 10:3: groups 3 does not divide the width 32 of stage 's2' && 11:3: groups 3 does not divide the width 64 of stage 's3'
    basic block with groups        | 7=  block basic groups 32                 | 7:15: basic blocks support only groups 1, found groups 32
    basic block width_per_group    | 7=  block basic width_per_group 4         | 7:15: basic blocks support only width_per_group 64, found width_per_group 4
    basic block stride_on          | 7=  block basic stride_on 1x1             | 7:15: stride_on applies only to bottleneck blocks
    inner width rounds to zero     | 7=  block bottleneck width_per_group 1    | 9:3: stage 's1' has no inner channels: width 16 x width_per_group 1 / 64 rounds down to 0 && 10:3: stage 's2' has no inner channels: width 32 x width_per_group 1 / 64 rounds down to 0
    unknown base model             | 1=model Net extends Nope {                | 1:19: unknown model 'Nope' in extends
    unknown block option           | 7=  block basic foo 1                     | 7:15: unknown block option 'foo'; expected expansion, groups, width_per_group or stride_on
    block option without number    | 7=  block bottleneck groups               | 7:20: block option 'groups' needs a number, like groups 32
    unknown block type             | 7=  block triple                          | 7:9: unknown block type 'triple'; expected basic or bottleneck
    unknown shortcut option        | 8=  shortcut D                            | 8:12: unknown shortcut option 'D'; expected A, B, C, identity or none
    unknown init option            | 12=  init xavier; 13=}                    | 12:8: unknown init option 'xavier'; expected kaiming_normal, fan_out, fan_in, seed or zero_last_bn
    duplicate stage name           | 10=  stage s1 32 x3 /2                    | 10:9: duplicate stage name 's1' (first used at line 9)
    duplicate statement            | 3=  classes 10; classes 100               | 3:15: duplicate 'classes' statement (first at line 3)
    missing input                  | 2=                                        | 1:7: model 'Net' has no input statement (for example: input 3x224x224)
    missing classes                | 3=                                        | 1:7: model 'Net' has no classes statement (for example: classes 1000)
    missing stages                 | 9=; 10=; 11=                              | 1:7: model 'Net' has no stages (for example: stage conv2_x 64 x2)
    input with two sizes           | 2=  input 32x32                           | 2:9: input needs channels x height x width, like 3x224x224, found 32x32
    repeat count 10^9              | 9=  stage s1 16 x1000000000               | 9:15: repeat count 1000000000 is past the limit of 1000
    width 10^9                     | 9=  stage s1 1000000000 x3                | 9:12: stage width 1000000000 is past the limit of 16384
    repeat count 0                 | 9=  stage s1 16 x0                        | 9:15: repeat count must be at least 1, found 0
    number beyond 64 bits          | 9=  stage s1 16 x99999999999999999999999  | 9:15: repeat count 99999999999999999999999 is past the limit of 1000
    too many blocks in total       | 9=  stage s1 16 x1000; 10=  stage s2 32 x1000 /2; 11=  stage s3 64 x1000 /2; 12=  stage s4 64 x1000; 13=  stage s5 64 x1000; 14=  stage s6 64 x1; 15=} | 1:7: model 'Net' has 5001 blocks, past the limit of 5000
    too many parameters            | 11=  stage s3 16384 x3 /2                 | 1:7: model 'Net' has 12084740122 parameters, past the limit of 2000000000
    input too large                | 2=  input 3x10000x32                      | 2:9: input height 10000 is past the limit of 8192
    too many input channels        | 2=  input 2000x32x32                      | 2:9: input channels 2000 is past the limit of 1024
    too many classes               | 3=  classes 1000000                       | 3:11: classes 1000000 is past the limit of 100000
    kernel too large               | 5=    conv 17x17 16                       | 5:10: kernel size 17 is past the limit of 15
    kernel not square              | 5=    conv 3x5 16                         | 5:10: kernels must be square, like 3x3, found 3x5
    maxpool padding too large      | 6=    maxpool 3x3 /2 pad 2; 7=  }; 8=  block basic; 9=  shortcut A | 6:24: maxpool padding must be at most half the kernel (1), found 2
    seed beyond 64 bits            | 12=  init seed 99999999999999999999; 13=} | 12:13: seed 99999999999999999999 does not fit in 64 bits (at most 9223372036854775807)
    model name is a Java keyword   | 1=model class {                           | 1:7: model name 'class' is a Java keyword; model names become Java class names
    fc size differs from classes   | 12=  head { avgpool; fc 100 }; 13=}       | 12:22: fc has 100 outputs but the model has 10 classes (write 'fc classes')
    head without avgpool           | 12=  head { fc classes }; 13=}            | 12:3: the head must be 'avgpool' then 'fc classes': head { avgpool; fc classes }
    option A cannot shrink channels| 11=  stage s3 8 x3 /2                     | 11:3: shortcut A cannot reduce channels: block 1 of stage 's3' goes from 32 to 8 channels (use shortcut B)
    fan_in and fan_out together    | 12=  init fan_in fan_out; 13=}            | 12:15: init takes fan_in or fan_out, not both
    """)
    void reportsExactDiagnostics(String kind, String replacements, String expected) {
        String text = replaceLines(VALID, replacements);
        Compilation compilation = SpecCompiler.compile("net.resnet", text, null);
        List<String> actual = compilation.diagnostics().stream()
                .map(d -> {
                    assertEquals("net.resnet", d.position().file(), kind);
                    return d.position().line() + ":" + d.position().column() + ": " + d.message();
                })
                .collect(Collectors.toList());
        assertEquals(Arrays.asList(expected.split(" && ")), actual, kind + "\n" + text);
        assertTrue(compilation.hasErrors(), kind);
        assertTrue(compilation.models().isEmpty(), kind);
    }

    /** Replaces lines of {@code text}: {@code "3=new text; 5=other"}; line numbers past the end append lines. */
    static String replaceLines(String text, String replacements) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        for (String replacement : replacements.split("; (?=\\d+=)")) {
            int eq = replacement.indexOf('=');
            int line = Integer.parseInt(replacement.substring(0, eq).trim());
            String newText = replacement.substring(eq + 1);
            while (lines.size() < line) {
                lines.add("");
            }
            lines.set(line - 1, newText);
        }
        return String.join("\n", lines) + "\n";
    }
}
